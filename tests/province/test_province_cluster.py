"""Province batches on a Dask cluster (issue 16 §3-4): the same rows as the local run, on a
local multi-worker cluster, also when a worker is killed in the middle of the job."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from tanjiliang.province.batch import reassess, reassess_province
from tanjiliang.province.cluster import ClusterError, map_on_cluster
from tanjiliang.province.generate import iter_unit_files, write_province

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("province")
    write_province(root, seed=16, units=200, instruments=40, years=(2025,))
    return root


@pytest.fixture(scope="module")
def serial(province) -> pl.DataFrame:
    return reassess([p for _, p in iter_unit_files(province, None)], workers=1)


def test_cluster_gives_the_rows_of_the_local_run(province, serial) -> None:
    df, _ = reassess_province(province, cluster="local:2")
    assert df.height == 200
    assert_frame_equal(df, serial)


def test_cluster_survives_a_killed_worker(province, serial) -> None:
    """One of two workers dies while the job runs: Dask runs its tasks again elsewhere, and
    the result is complete and identical (every job is a pure function of its inputs)."""
    from distributed import Client, LocalCluster

    paths = [p for _, p in iter_unit_files(province, None)]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cl, Client(cl) as killer:
        killed: list[str] = []
        pids = killer.run(os.getpid)  # worker address → process id

        def kill_one() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                tasks = killer.processing()
                busy = [w for w, t in tasks.items() if t]
                if busy:  # the job is running: kill a worker that holds tasks
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed.append(busy[0])
                    return
                time.sleep(0.05)

        t = threading.Thread(target=kill_one)
        t.start()
        df = reassess(paths, cluster=cl.scheduler_address, chunksize=4)
        t.join()
    assert killed, "no worker was busy: the kill did not happen"
    assert_frame_equal(df, serial)


def test_unreachable_cluster_is_exit_2(province) -> None:
    from tanjiliang.cli.app import app

    r = CliRunner().invoke(app, ["province", "reassess", str(province),
                                 "--cluster", "tcp://127.0.0.1:9", "--workers", "1"])
    assert r.exit_code == 2, r.output
    assert "无法连接计算集群" in r.output
    with pytest.raises(ClusterError):
        map_on_cluster(str, ["a"], "local:x")
