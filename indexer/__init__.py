"""indexer: from documents to indexes: text extraction, the document store, passages,
German analysis, the keyword (Whoosh) and vector indexes."""
