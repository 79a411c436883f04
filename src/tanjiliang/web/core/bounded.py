"""Imports that cannot hold a web worker (issue 18 §3, §5; docs/security.md "Limits").

Reading an uploaded unit file or ledger runs in a forked child process with a time limit
(``IMPORT_SECONDS``, ``TANJILIANG_IMPORT_SECONDS``, default 60 s) and an address-space limit
(``IMPORT_MEMORY_MB``, ``TANJILIANG_IMPORT_MEMORY_MB``, default 2048). A file that takes longer,
needs more memory, or crashes the parser (a segfault in a C extension) costs that child only:
the request answers with a ``LoadError`` naming the file, the worker carries on. The child
only parses (no database); the result comes back pickled and is stored by the parent.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

from tanjiliang.model.errors import Issue, LoadError

T = TypeVar("T")


def _limits() -> tuple[float, int]:
    seconds = float(getattr(settings, "IMPORT_SECONDS", 60))
    memory = int(getattr(settings, "IMPORT_MEMORY_MB", 2048))
    return seconds, memory


def _mapped() -> int:
    """This process's virtual size in bytes (Linux), 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], seconds: float,
           memory_mb: int) -> None:
    import faulthandler
    import resource

    faulthandler.disable()  # a parser crash is reported to the user, not dumped in the log
    try:
        if memory_mb > 0:  # on top of what the forked worker already maps
            limit = _mapped() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(seconds) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        result = fn(*args)
        conn.send(("ok", result))
    except LoadError as exc:
        conn.send(("load", exc.issues))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # reported to the user, not raised in the worker
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:300]))
        traceback.print_exc()
    finally:
        conn.close()


def run(fn: Callable[..., T], *args: Any, name: str) -> T:
    """``fn(*args)`` in a child process under the limits; ``name`` is the file (for messages).
    Raises ``LoadError`` when it fails, times out, runs out of memory or crashes."""
    seconds, memory_mb = _limits()
    if seconds <= 0 or "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, seconds, memory_mb), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise LoadError([Issue(name, None, "",
                                   f"处理超过 {seconds:g} 秒，已中止：文件过大或结构过于复杂",
                                   f"reading took longer than {seconds:g} s and was stopped: "
                                   "the file is too large or too complex")])
        try:
            kind, value = parent.recv()
        except EOFError:
            kind, value = "crash", None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "load":
        raise LoadError(value)
    if kind == "memory":
        raise LoadError([Issue(name, None, "", f"读取时内存超过 {memory_mb} MB 上限，已中止",
                               f"reading needed more than the {memory_mb} MB memory limit "
                               "and was stopped")])
    if kind == "crash":
        code = proc.exitcode
        raise LoadError([Issue(name, None, "", f"文件无法读取：解析程序异常终止（{code}）",
                               f"the file cannot be read: the parser stopped abnormally "
                               f"(exit {code})")])
    raise LoadError([Issue(name, None, "", f"文件无法读取：{value}",
                           f"the file cannot be read: {value}")])

