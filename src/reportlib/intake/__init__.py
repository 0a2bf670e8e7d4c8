"""Intake: from a bureau's document (TXT, HTML, PDF, DOCX) to draft data records.

``run(files, locality)`` extracts each document's text (``extract``), proposes its
``sources.csv`` row (``metadata``), splits it into headed sentences (``locators``), drafts
facts, milestones, commitments, measures and challenges (``quantities``, ``records``),
writes the draft CSVs, ``review.html`` (``review``) and a log; ``accept.accept`` merges
the rows an analyst marked ``accept`` into ``data/``.
"""

from reportlib.intake.pipeline import IntakeResult, intake_file, run

__all__ = ["IntakeResult", "intake_file", "run"]
