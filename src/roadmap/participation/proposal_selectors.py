"""The old address of `proposals.selectors.visible_process`, kept only because `opinions/views.py`
(owned by another branch of issue 10) still imports it from here. Delete it once that import
reads `roadmap.participation.proposals.selectors`."""

from .proposals.selectors import visible_process

__all__ = ["visible_process"]
