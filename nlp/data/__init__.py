"""Rule tables of the nlp package (TSV files, read by nlp.parties and nlp.speakers)."""
