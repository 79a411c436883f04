"""Province batches on a Dask cluster (issue 16 §3).

``province reassess --cluster ADDRESS`` sends the same jobs that the local process pool runs
(:mod:`tanjiliang.province.batch`) to a Dask distributed scheduler: ``tcp://host:8786`` for a
running cluster, or ``local`` / ``local:N`` for a cluster of N worker processes started on this
machine (tests, a workstation). Scheduling, retries, lost workers and back-pressure are Dask's:
a job whose worker dies is run again elsewhere (``retries``), and because every job is a pure
function of its unit file, pack and date, a job run twice gives the same row. Dask was chosen
over Ray after a trial on this machine (README, "Choices changed for a measured reason").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: times Dask runs a job again when its worker is lost or it raises
RETRIES = 3


class ClusterError(RuntimeError):
    """The cluster cannot be reached or started (message in zh and en)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _local_workers(address: str) -> int | None:
    """``local`` → None (one worker per core), ``local:3`` → 3; anything else is an address."""
    if address == "local":
        return None
    if address.startswith("local:"):
        n = address.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise ClusterError(f"“{address}”不是有效的本机集群（例如 local:2）",
                               f'"{address}" is not a valid local cluster (e.g. local:2)')
        return int(n)
    return 0


def _run_chunk(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [fn(x) for x in items]


def map_on_cluster(fn: Callable[[T], R], items: Sequence[T], address: str, *,
                   chunksize: int = 8, timeout_s: float = 10.0) -> list[R]:
    """``[fn(x) for x in items]`` on the Dask cluster at ``address``, in the order of ``items``.

    Items travel in chunks of ``chunksize`` (one task each); ``fn`` must be a module-level
    function. Raises :class:`ClusterError` when the scheduler does not answer within
    ``timeout_s``."""
    from distributed import Client, LocalCluster

    n = _local_workers(address)
    chunks = [list(items[i:i + chunksize]) for i in range(0, len(items), chunksize)]
    if not chunks:
        return []
    cluster: Any = None
    try:
        if n == 0:
            client = Client(address, timeout=timeout_s)
        else:
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        raise ClusterError(f"无法连接计算集群 {address}：{exc}",
                           f"cannot reach the cluster at {address}: {exc}") from None
    try:
        futures = client.map(_run_chunk, [fn] * len(chunks), chunks, retries=RETRIES,
                             pure=False)
        parts = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return [r for part in parts for r in part]
