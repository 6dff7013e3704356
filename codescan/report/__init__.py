"""The HTML report people read: summary, campaigns, filterable findings, hidden Unicode, standards, rule docs."""
from .gather import gather
from .html import render
from .model import ReportData, ReportInputError

__all__ = ["gather", "render", "ReportData", "ReportInputError"]
