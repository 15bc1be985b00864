"""Reports as the bureau files them (python-docx, GB/T 9704-2012 layout): the progress report
of a month or a year, and the closure assessment report of one case."""
