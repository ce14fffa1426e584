"""Maximum lengths of free text: a narrative is a few paragraphs, a comment a few lines; a
megabyte pasted by mistake (or by a probe) would bloat the feed, the PDFs and the search index."""

NARRATIVE_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 2_000


def too_long(label: str, limit: int) -> str:
    return f"{label} : {limit:_} caractères au plus.".replace("_", "\u202f")
