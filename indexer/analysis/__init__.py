"""German text analysis for keyword search (Whoosh).

The pipeline, the same at index and at query time (docs/analysis.md has the measurements):

1. tokenise (:mod:`.tokens`): words, hyphenated compounds, paper references, numbers, dates, §;
2. fold (:mod:`.folding`): lower case, umlauts and ß, ``ae``/``oe``/``ue`` (``Strasse`` = ``Straße``);
3. drop stop words (:mod:`.stopwords`);
4. stem (:mod:`.stemming`): Snowball German, feminine and gender forms to the generic form;
5. decompound (:mod:`.decompound`): the parts of compounds at the compound's position
   (``Feuerwehrgerätehaus`` is found by ``Feuerwehr``);
6. at query time, expand (:mod:`.expansion`): compound parts and curated synonyms (:mod:`.synonyms`).
"""

from indexer.analysis.analyzer import GermanAnalyzer, index_analyzer, query_analyzer
from indexer.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from indexer.analysis.errors import AnalysisError
from indexer.analysis.expansion import expand_word, highlight_terms, query_words, synonyms_of
from indexer.analysis.references import find_references, normalize_reference

__all__ = [
    "DEFAULT_CONFIG",
    "AnalysisConfig",
    "AnalysisError",
    "GermanAnalyzer",
    "expand_word",
    "find_references",
    "highlight_terms",
    "index_analyzer",
    "normalize_reference",
    "query_analyzer",
    "query_words",
    "synonyms_of",
]
