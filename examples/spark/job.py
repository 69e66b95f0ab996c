#!/usr/bin/env python3
"""Extract a corpus of JSON Lines articles into facts shards with Spark.

Each partition of the input is piped through `guanxi extract --jsonl -` (RDD.pipe): the binary
is shipped to the executors with `spark-submit --files`, loads its lexicon once per partition and
writes one line of facts per article. The facts shards (part-00000, part-00001, ...) are then
merged into one database with `guanxi ingest --facts OUTPUT`.

    spark-submit --master local[2] --files target/release/guanxi \\
        examples/spark/job.py corpus.jsonl --output facts/

Input paths may be local files, directories or globs, or hdfs:// and s3a:// addresses: anything
Spark's textFile reads (gzip and bzip2 files included). See README.md beside this file.
"""

import argparse
import os
import shlex

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def guanxi_command(sc, binary, extra):
    """The command each partition runs.

    Files shipped with --files land in each executor's working directory; in local mode the
    executor is the driver, which keeps them in its own directory of Spark files.
    """
    name = os.path.basename(binary)
    path = SparkFiles.get(name) if sc.master.startswith("local") else os.path.join(".", name)
    return shlex.join([path, *extra, "extract", "--jsonl", "-"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="+", help="JSON Lines articles: files, directories, globs; local, hdfs:// or s3a://")
    ap.add_argument("--output", required=True, help="where the facts shards go (a directory that must not exist)")
    ap.add_argument("--binary", default="guanxi", help="the name of the guanxi binary given to --files")
    ap.add_argument("--partitions", type=int, default=None, help="split the input into at least this many partitions")
    ap.add_argument("--lexicon", help="an extra lexicon directory, passed to guanxi as it is: a path that exists "
                                      "where the tasks run (on YARN, an archive shipped with --archives lex.zip#lex "
                                      "is unpacked as ./lex)")
    ap.add_argument("--strict", action="store_true",
                    help="fail the task when guanxi reports a bad line (default: the line is reported in the "
                         "executor's log and the other articles go on)")
    args = ap.parse_args()

    spark = SparkSession.builder.appName("guanxi extract").getOrCreate()
    sc = spark.sparkContext
    extra = ["--lexicon", args.lexicon] if args.lexicon else []
    command = guanxi_command(sc, args.binary, extra)
    # Input files are read in the order given, each in order: the shards keep the articles' order,
    # so that merging them in name order builds the graph a local ingest of the articles builds.
    articles = sc.textFile(",".join(args.input), minPartitions=args.partitions)
    # guanxi runs with an empty environment: no GUANXI_LEXICON or guanxi.toml of the machine applies.
    facts = articles.pipe(command, env={}, checkCode=args.strict)
    facts.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
