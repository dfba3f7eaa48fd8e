"""corpora: the document model (OParl 1.1) and the readers that yield it."""
