"""The jobs' messages: the tasks page, the panel, states, steps and errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.tasks": {"zh": "任务", "en": "Tasks"},
    "jobs.title": {"zh": "后台任务", "en": "Background tasks"},
    "jobs.panel": {"zh": "正在处理 {count} 项", "en": "Processing {count}"},
    "jobs.empty": {"zh": "没有后台任务。生成报告或上传正射影像后，任务会显示在这里。",
                   "en": "No background tasks. Reports and orthophoto uploads show here."},
    "jobs.state.queued": {"zh": "排队中", "en": "Queued"},
    "jobs.state.running": {"zh": "进行中", "en": "Running"},
    "jobs.state.succeeded": {"zh": "已完成", "en": "Done"},
    "jobs.state.failed": {"zh": "失败", "en": "Failed"},
    "jobs.state.retrying": {"zh": "重试中", "en": "Retrying"},
    "jobs.col.task": {"zh": "任务", "en": "Task"},
    "jobs.col.state": {"zh": "状态", "en": "State"},
    "jobs.col.progress": {"zh": "进度", "en": "Progress"},
    "jobs.col.created": {"zh": "提交时间", "en": "Submitted"},
    "jobs.col.by": {"zh": "提交人", "en": "By"},
    "jobs.system": {"zh": "系统", "en": "System"},
    "jobs.attempts": {"zh": "第 {attempts} 次尝试", "en": "Attempt {attempts}"},
    "jobs.next_try": {"zh": "将于 {at} 再试", "en": "Next try at {at}"},
    "jobs.retry": {"zh": "重试", "en": "Try again"},
    "jobs.download": {"zh": "下载 {name}", "en": "Download {name}"},
    "jobs.expired": {"zh": "结果文件已过保留期清理，请重新生成。",
                     "en": "The result file was removed after the days it is kept; make it "
                           "again."},
    "jobs.submitted": {"zh": "已提交，完成后可在此下载。",
                       "en": "Submitted; download it here when done."},
    "upload.queued": {"zh": "已上传，正射影像转入后台处理（任务 {id}）。",
                      "en": "Uploaded; the orthophoto is processed in the background (task {id})."},
    "upload.see_tasks": {"zh": "查看后台任务", "en": "See background tasks"},
    "jobs.kind.report": {"zh": "生成报告", "en": "Report"},
    "jobs.kind.ingest_upload": {"zh": "影像入库", "en": "Image ingest"},
    "jobs.kind.ingest_received": {"zh": "续传文件入库", "en": "Resumed upload ingest"},
    "jobs.kind.thumbnails": {"zh": "生成缩略图", "en": "Thumbnails"},
    "jobs.kind.daily_tick": {"zh": "每日定时处理", "en": "Daily tick"},
    "jobs.kind.changes": {"zh": "变化检测", "en": "Change detection"},
    "jobs.step.gather": {"zh": "正在汇总数据", "en": "Gathering the figures"},
    "jobs.step.write": {"zh": "正在生成文档", "en": "Writing the document"},
    "jobs.step.analyse": {"zh": "正在分析和转换影像", "en": "Analysing and converting"},
    "jobs.step.thumbnails": {"zh": "正在生成缩略图", "en": "Rendering thumbnails"},
    "jobs.step.changes": {"zh": "正在比对前后两期影像", "en": "Comparing the two images"},
    "jobs.step.tick": {"zh": "正在更新到期状态", "en": "Moving time-driven states on"},
    "jobs.step.anchor": {"zh": "正在锚定审计链", "en": "Anchoring the audit chain"},
    "jobs.error.rejected": {"zh": "「{title}」未能完成：{problem}",
                            "en": "{title} could not be done: {problem}"},
    "jobs.error.rejected_file": {"zh": "「{title}」未能入库：{reason}",
                                 "en": "{title} was not stored: {reason}"},
    "jobs.error.unexpected": {
        "zh": "「{title}」处理出错（{problem}），已尝试 {attempts} 次。可点“重试”；"
              "仍不成功请联系管理员查看日志。",
        "en": "{title} failed ({problem}) after {attempts} attempt(s). Try again; if it "
              "still fails, ask an administrator to look at the log."},
    "jobs.error.store_unavailable": {
        "zh": "「{title}」暂时无法读写文件存储（{problem}），已尝试 {attempts} 次，稍后自动重试；"
              "仍不成功请管理员检查对象存储设置。",
        "en": "{title}: the file store could not be used ({problem}) after {attempts} "
              "attempt(s); it is tried again later. If it keeps failing, ask an administrator "
              "to check the store settings."},
    "jobs.error.crashed": {
        "zh": "「{title}」的处理进程意外中止，已尝试 {attempts} 次。可点“重试”。",
        "en": "The process working on {title} stopped, {attempts} attempt(s). Try again."},
    "jobs.error.unknown_kind": {
        "zh": "「{title}」：本系统不认识这类任务（{kind}）。",
        "en": "{title}: this installation does not know tasks of kind {kind}."},
    "jobs.error.not_retryable": {"zh": "只有失败的任务可以重试。",
                                 "en": "Only a failed task can be tried again."},
}
