"""The operating system's refusals in the user's language (session 6): a full disk or a
read-only file system was said with the system's English words on a Chinese command line."""

from __future__ import annotations

import errno

from tanjiliang.cli.safety import os_issue


def test_a_full_disk_in_chinese() -> None:
    issue = os_issue(OSError(errno.ENOSPC, "No space left on device", "/data/报告.pdf"))
    assert issue.message("zh") == "/data/报告.pdf: 磁盘空间不足"
    assert issue.message("en") == "/data/报告.pdf: No space left on device"


def test_a_read_only_file_system_and_an_unknown_refusal() -> None:
    ro = os_issue(OSError(errno.EROFS, "Read-only file system", "/mnt/x.xlsx")).message("zh")
    assert ro == "/mnt/x.xlsx: 文件系统只读，不能写入"
    zh = os_issue(OSError(errno.EPROTO, "Protocol error")).message("zh")
    assert "系统拒绝了此操作（错误号" in zh and "Protocol" not in zh
