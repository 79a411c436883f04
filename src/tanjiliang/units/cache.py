"""pint's definition files parsed once per machine, not at every start (issue 16: a fresh
process costs little more than a warm one).

Building the unit registry parsed pint's ``default_en.txt`` (about 1 000 definitions) and this
package's ``definitions.txt`` at every start: two thirds of the registry's 0.12–0.15 s, a sixth
of a fresh ``tanjiliang check``. pint can keep the parsed files on disk (``cache_folder``,
through flexcache: one pickle per file, named by a hash of the file's content, pint's version
and Python's, so an edited or upgraded file is parsed afresh). :class:`Registry` uses that, with
two differences from pint's own:

* the files are written atomically and read defensively — a file another process is still
  writing, a truncated or unreadable one, or a folder that cannot be written (a read-only home,
  a service account without one) means parsing as before, never an error;
* the registry's derived tables (root units, dimensionalities, the units of each dimension)
  and the prefixed units building them defines (kilometer, microgram, …) are kept too, under
  the same key, and put back exactly as built (two thirds of what was left of the registry's
  time, 0.06–0.1 s of a fresh process); pint's own cached path skips that step instead,
  leaving ``dimensional_equivalents`` empty and those units undefined until used.

The folder is ``$TANJILIANG_CACHE_DIR/pint``, else the user's cache folder
(``~/.cache/tanjiliang/pint`` on Linux); ``TANJILIANG_CACHE_DIR=""`` turns the cache off. The
files are pickles: they are read only from the user's own cache folder (whoever can write there
can already run code as the user).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import pint
from pint.delegates import build_disk_cache_class

ENV = "TANJILIANG_CACHE_DIR"


def folder() -> Path | None:
    """Where the parsed definition files are kept (None: not kept)."""
    base = os.environ.get(ENV)
    if base is None:
        import platformdirs

        return platformdirs.user_cache_path("tanjiliang", appauthor=False) / "pint"
    return Path(base) / "pint" if base else None


class _DiskCache(build_disk_cache_class(float)):  # type: ignore[misc]  # pint builds the class
    """pint's disk cache of parsed definition files, written atomically, read defensively."""

    def __init__(self, cache_folder: Path) -> None:
        self.cache_folder = Path(cache_folder)  # created when a file is first written

    def rawload(self, header: Any, cache_path: Path | None = None) -> Any:
        try:
            return super().rawload(header, cache_path)
        except Exception:  # partial, truncated, unreadable: parse again
            return None

    def rawsave(self, header: Any, converted_object: Any, cache_path: Path | None = None) -> Path:
        path = cache_path if cache_path is not None else self.cache_path_for(header)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
            with os.fdopen(fd, "wb") as fo:
                pickle.dump(converted_object, fo, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            tmp = None
        except (OSError, pickle.PicklingError):  # nowhere to write it: parse again next time
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        return path


class Registry(pint.UnitRegistry):
    """A pint unit registry whose definition files are parsed through :class:`_DiskCache`
    kept in ``cache`` (None: parsed every time, as plain pint does)."""

    def __init__(self, *, cache: Path | None = None, **kwargs: Any) -> None:
        super().__init__(cache_folder=None, **kwargs)
        if cache is not None and self._def_parser is not None:
            self._diskcache = _DiskCache(cache)
            self._def_parser._diskcache = self._diskcache  # the parser pint made in __init__

    def _build_cache(self, loaded_files: Any = None) -> None:
        # Not pint's cached path: it skips the derived tables (leaving ``dimensional_equivalents``
        # empty) and the prefixed units building them defines (kilometer, microgram, …). Kept
        # here are both, under the same key as the parsed files (their content, pint's version,
        # Python's) and put back as they were built; anything else means building them.
        disk = self._diskcache if isinstance(self._diskcache, _DiskCache) else None
        key = f"{DERIVED}-{self.case_sensitive}"
        if disk is not None and loaded_files:
            kept, _ = disk.load(loaded_files, key)
            if _put_back(self, kept):
                return
        before = set(self._units.maps[0])
        super()._build_cache()
        if disk is not None and loaded_files:
            added = {name: self._units[name] for name in self._units.maps[0] if name not in before}
            disk.save((DERIVED, self._cache, added), loaded_files, key)


#: What :meth:`Registry._build_cache` keeps on disk (a new name when its layout changes).
DERIVED = "tanjiliang-derived-tables-1"


def _put_back(reg: Registry, kept: Any) -> bool:
    """The derived tables and the prefixed units :meth:`Registry._build_cache` kept, put back
    into ``reg`` as building them leaves them; False (nothing changed) for anything else."""
    from pint.facets.plain.definitions import UnitDefinition
    from pint.facets.plain.registry import RegistryCache

    if not (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == DERIVED
            and isinstance(kept[1], RegistryCache) and isinstance(kept[2], dict)
            and all(isinstance(d, UnitDefinition) for d in kept[2].values())):
        return False
    _, cache, added = kept
    reg._cache = cache
    reg._caches[()] = cache  # pint's context facet: the tables with no context active
    reg._units.maps[0].update(added)
    return True
