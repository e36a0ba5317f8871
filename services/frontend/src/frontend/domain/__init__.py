"""View rules with no I/O: formatting, labels, worktray views, the case timeline."""
