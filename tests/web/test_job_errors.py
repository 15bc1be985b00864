"""A job's failure in words and whether it is tried again: an unreachable or refusing file
store is not the input's fault, so the job is retried (with its own words), while a refused
input fails at once."""

from __future__ import annotations

from imagery.errors import RejectedFile, StoreUnavailable
from web.jobs.attempt import TRANSIENT, readable
from web.jobs.texts import error_text

ROW = {"title": "ortho.tif", "attempts": 1}


def test_a_store_that_refuses_a_part_is_tried_again_and_said_so() -> None:
    exc = StoreUnavailable("refused", "s3://b/p: the store refused the request (InternalError)",
                           store="s3://b/p")
    code, values = readable(exc, ROW)
    assert code == "store_unavailable" and code in TRANSIENT
    assert error_text(code, values, "zh") == (
        "「ortho.tif」暂时无法读写文件存储（s3://b/p: the store refused the request "
        "(InternalError)），已尝试 1 次，稍后自动重试；仍不成功请管理员检查对象存储设置。")


def test_a_refused_file_fails_at_once() -> None:
    code, _ = readable(RejectedFile("坏.tif", "not an image"), ROW)
    assert code == "rejected_file" and code not in TRANSIENT
