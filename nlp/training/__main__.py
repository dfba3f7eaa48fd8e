"""The NER training project: ``python -m nlp.training STEP`` (run from the repository root).

Steps, in order (``all`` runs them and reproduces the committed model from ../shared/data):

* ``corpus``   gold sources → DocBins and CoNLL dev files under nlp/training/work/corpus/
* ``rawtext``  council texts + raw training sentences → work/raw/raw.txt
* ``vectors``  floret vectors on the raw text → work/vectors/model (a blank pipeline with them)
* ``pretrain`` ``spacy pretrain`` of the tok2vec on the raw text → work/pretrain/
* ``mix``      a named training mix (recipe.MIXES) → work/corpus/train-NAME.spacy
* ``train``    spacy train with a config from configs/ → work/runs/NAME/model-{best,last}
* ``evaluate`` development figures (and with ``--test`` the GermEval 2014 test figure)
* ``package``  a trained pipeline → nlp/models/ner_de/ with meta.json and attribution

Every heavy step runs with one or two threads (the machine has two cores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from nlp.training import recipe

CORPUS = recipe.WORK / "corpus"


def step_corpus(_: argparse.Namespace) -> None:
    from nlp.training.corpus import DataPaths, build_sources, write_docbin

    corpora = build_sources(DataPaths(recipe.DATA_ROOT / "german_ner"))
    stats = {}
    for name, sentences in corpora.items():
        count = write_docbin(sentences, CORPUS / f"{name}.spacy")
        entities = sum(t.startswith("B-") for s in sentences for t in s.tags)
        stats[name] = {"sentences": count, "words": sum(len(s.words) for s in sentences), "entities": entities}
        if name in recipe.DEV:
            _write_conll(sentences, CORPUS / f"{name}.conll")
    write_docbin([s for name in recipe.DEV for s in corpora[name]], CORPUS / "dev.spacy")
    (CORPUS / "stats.json").write_text(json.dumps(stats, indent=2))
    print(json.dumps(stats, indent=2))


def _write_conll(sentences, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for sentence in sentences:
            for word, tag in zip(sentence.words, sentence.tags):
                handle.write(f"{word}\t{tag or 'O'}\n")
            handle.write("\n")


def step_pretrain(args: argparse.Namespace) -> None:
    """``spacy pretrain`` (characters objective, see [pretraining] in the config) of the
    tok2vec on the raw text; the weights of the last epoch are work/pretrain/model{N-1}.bin."""
    from nlp.training.rawtext import write_pretrain_jsonl

    jsonl = recipe.WORK / "raw" / "pretrain.jsonl"
    if not jsonl.exists():
        write_pretrain_jsonl(recipe.WORK / "raw" / "raw.txt", jsonl)
    command = [
        sys.executable, "-m", "spacy", "pretrain", str(args.config), str(recipe.WORK / "pretrain"),
        "--paths.raw_text", str(jsonl),
        "--paths.vectors", str(recipe.VECTORS_MODEL),
        "--pretraining.max_epochs", str(args.epochs),
    ]  # fmt: skip
    subprocess.run(command, check=True, env=_single_thread_env())


def step_mix(args: argparse.Namespace) -> None:
    from nlp.training.corpus import mix, read_docbin_sentences, write_docbin

    weights = recipe.MIXES[args.mix]
    corpora = {name: read_docbin_sentences(CORPUS / f"{name}.spacy") for name in weights}
    count = write_docbin(mix(corpora, weights), CORPUS / f"train-{args.mix}.spacy")
    print(f"train-{args.mix}.spacy: {count} sentences")


def step_rawtext(_: argparse.Namespace) -> None:
    from nlp.evaluation import iter_germeval
    from nlp.training.corpus import DataPaths, read_docbin_sentences
    from nlp.training.rawtext import write_raw_text
    from nlp.training.sources import ler, wikiann

    paths = DataPaths(recipe.DATA_ROOT / "german_ner")
    excluded = {s.words for s in iter_germeval(paths.germeval_test)}
    excluded |= {s.words for s in ler(paths.ler_test)}
    for name in recipe.DEV:
        excluded |= {s.words for s in read_docbin_sentences(CORPUS / f"{name}.spacy")}
    training = [
        s
        for name in ("germeval_train", "europarl_train", "ler", "smartdata")
        for s in read_docbin_sentences(CORPUS / f"{name}.spacy")
    ]
    training += list(wikiann(paths.wikiann_train)) + list(wikiann(paths.wikiann_dev))
    counts = write_raw_text(recipe.DATA_ROOT / "council", training, excluded, recipe.WORK / "raw" / "raw.txt")
    print(json.dumps(counts))


def step_vectors(_: argparse.Namespace) -> None:
    from nlp.training.vectors import init_spacy_vectors, train_floret

    table = train_floret(recipe.WORK / "raw" / "raw.txt", recipe.WORK / "vectors" / "de", recipe.FLORET)
    init_spacy_vectors(table, recipe.WORK / "vectors" / "model")


def step_train(args: argparse.Namespace) -> None:
    config = Path(args.config)
    output = recipe.WORK / "runs" / (args.name or config.stem)
    command = [
        sys.executable, "-m", "spacy", "train", str(config),
        "--output", str(output),
        "--paths.train", str(CORPUS / f"train-{args.mix}.spacy"),
        "--paths.dev", str(CORPUS / f"{args.dev}.spacy"),
        "--paths.vectors", str(recipe.VECTORS_MODEL),
        "--paths.init_tok2vec", str(recipe.PRETRAINED_TOK2VEC),
    ]  # fmt: skip
    for override in args.set or []:
        key, _, value = override.partition("=")
        command += [f"--{key}", value]
    subprocess.run(command, check=True, env=_single_thread_env())


def _single_thread_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


def step_evaluate(args: argparse.Namespace) -> None:
    import spacy

    from nlp.evaluation import evaluate_ner

    nlp = spacy.load(args.model)
    paths = recipe.DATA_ROOT / "german_ner"
    results = {
        "germeval_holdout": evaluate_ner(CORPUS / "germeval_holdout.conll", "conll", nlp),
        "europarl_dev": evaluate_ner(CORPUS / "europarl_dev.conll", "conll", nlp),
    }
    if args.test:
        results["germeval2014_test"] = evaluate_ner(paths / "germeval2014" / "NER-de-test.tsv", "germeval", nlp)
    summary = {name: r["micro"]["f1"] for name, r in results.items()}
    print(json.dumps(summary))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False))


def step_package(args: argparse.Namespace) -> None:
    from nlp.training.package import package_model

    package_model(Path(args.model), Path(args.metrics) if args.metrics else None)


def step_all(args: argparse.Namespace) -> None:
    step_corpus(args)
    step_rawtext(args)
    step_vectors(args)
    args.config, args.epochs = str(recipe.FINAL_CONFIG), recipe.PRETRAIN_EPOCHS
    step_pretrain(args)
    args.mix = recipe.FINAL_MIX
    step_mix(args)
    args.config, args.name, args.dev, args.set = str(recipe.FINAL_CONFIG), "final", recipe.FINAL_DEV, None
    step_train(args)
    args.model = str(recipe.WORK / "runs" / "final" / "model-last")
    args.test, args.out = True, str(recipe.WORK / "runs" / "final" / "metrics.json")
    step_evaluate(args)
    args.metrics = args.out
    step_package(args)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m nlp.training", description=__doc__.split("\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("corpus").set_defaults(run=step_corpus)
    steps.add_parser("rawtext").set_defaults(run=step_rawtext)
    steps.add_parser("vectors").set_defaults(run=step_vectors)
    p = steps.add_parser("pretrain")
    p.add_argument("--config", default=str(recipe.FINAL_CONFIG))
    p.add_argument("--epochs", type=int, default=recipe.PRETRAIN_EPOCHS)
    p.set_defaults(run=step_pretrain)
    p = steps.add_parser("mix")
    p.add_argument("mix", choices=sorted(recipe.MIXES))
    p.set_defaults(run=step_mix)
    p = steps.add_parser("train")
    p.add_argument("--config", default=str(recipe.FINAL_CONFIG))
    p.add_argument("--mix", default=recipe.FINAL_MIX, choices=sorted(recipe.MIXES))
    p.add_argument("--name")
    p.add_argument("--dev", default="dev", help="dev corpus under work/corpus/ (dev = hold-out + EuroParl dev)")
    p.add_argument("--set", action="append", help="config override, e.g. training.max_steps=5000")
    p.set_defaults(run=step_train)
    p = steps.add_parser("evaluate")
    p.add_argument("model")
    p.add_argument("--test", action="store_true", help="also GermEval 2014 test (the final figure: never for choices)")
    p.add_argument("--out")
    p.set_defaults(run=step_evaluate)
    p = steps.add_parser("package")
    p.add_argument("model")
    p.add_argument("--metrics")
    p.set_defaults(run=step_package)
    steps.add_parser("all").set_defaults(run=step_all)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
