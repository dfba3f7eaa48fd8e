"""nlp: German NER for council documents (our own spaCy model) and the rules on top of it:
parties, speakers, places, persons linked to OParl."""
