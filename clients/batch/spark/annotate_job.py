"""Annotate a Spark dataset of documents with soda, through `soda annotate --stdin` and RDD.pipe.

    python annotate_job.py --input DOCS --output OUT --url http://soda:8080 --lexicon mesh \
        --matching stem3 --node /usr/bin/node --soda /opt/soda/dist/src/cli/soda.js

(or the same arguments after `spark-submit annotate_job.py`). See clients/batch/README.md.

Each partition's documents go, as JSONL, to one `soda annotate --stdin` process, which keeps a bounded
window of requests in flight and answers one line per document in input order. `checkCode=True` turns
a non-zero exit (a failure the client's retries did not fix) into a task failure, which Spark retries
(spark.task.maxFailures); a retried task sends its partition again, and annotating is idempotent, so
the output is the same. The result is written keyed by document id: one row per document.

RDD.pipe starts the command with an empty environment: every setting is passed as an argument, and
`--node` must be an absolute path on the executors.
"""

import argparse
import shlex

from pyspark import TaskContext
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)

ANNOTATION = StructType(
    [
        StructField("id", StringType()),
        StructField("lexicon", StringType()),
        StructField("begin", LongType()),
        StructField("end", LongType()),
        StructField("coveredText", StringType()),
        StructField("confidence", DoubleType()),
        StructField("synonym", StringType()),
        StructField("matching", StringType()),
    ]
)

ERROR = StructType([StructField("code", StringType()), StructField("message", StringType())])


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="documents: JSON lines or Parquet with id and text")
    p.add_argument("--input-format", choices=["json", "parquet"], default="json")
    p.add_argument("--output", required=True, help="where to write the annotations (overwritten)")
    p.add_argument("--output-format", choices=["json", "parquet"], default="json")
    p.add_argument("--id-column", default="id")
    p.add_argument("--text-column", default="text")
    p.add_argument("--url", required=True, help="the soda service, as the executors reach it")
    p.add_argument("--lexicon", required=True)
    p.add_argument("--matching", default="lower")
    p.add_argument("--node", required=True, help="absolute path of node on the executors")
    p.add_argument("--soda", required=True, help="absolute path of dist/src/cli/soda.js on the executors")
    p.add_argument("--partitions", type=int, default=0, help="repartition to this many (0: keep)")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight per partition")
    p.add_argument("--on-error", choices=["fail", "emit"], default="fail")
    p.add_argument("--master", default=None, help="e.g. local[2,2] (default: spark-submit's)")
    p.add_argument("--inject-failure", type=int, default=-1, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def pipe_command(a):
    args = [
        a.node,
        a.soda,
        "annotate",
        "--stdin",
        "--url",
        a.url,
        "--lexicon",
        a.lexicon,
        "--matching",
        a.matching,
        "--concurrency",
        str(a.concurrency),
        "--on-error",
        a.on_error,
    ]
    return " ".join(shlex.quote(x) for x in args)


def fail_first_attempt(partition):
    """Tests only: the first attempt of task `partition` fails after its first line."""

    def inject(index, lines):
        attempt = TaskContext.get().attemptNumber()
        for n, line in enumerate(lines):
            if index == partition and attempt == 0 and n == 1:
                raise RuntimeError(f"injected failure in partition {index}, attempt {attempt}")
            yield line

    return inject


def run(spark, a):
    reader = spark.read
    docs = reader.parquet(a.input) if a.input_format == "parquet" else reader.json(a.input)
    docs = docs.select(F.col(a.id_column).alias("id"), F.col(a.text_column).alias("text"))
    id_type = docs.schema["id"].dataType
    lines = docs.toJSON()
    if a.partitions > 0:
        lines = lines.repartition(a.partitions)
    piped = lines.pipe(pipe_command(a), checkCode=True)
    if a.inject_failure >= 0:
        piped = piped.mapPartitionsWithIndex(fail_first_attempt(a.inject_failure))
    schema = StructType(
        [
            StructField("id", id_type),
            StructField("annotations", ArrayType(ANNOTATION)),
            StructField("error", ERROR),
        ]
    )
    result = spark.read.schema(schema).json(piped)
    if a.on_error == "fail":
        result = result.drop("error")
    keyed = result.repartition(a.partitions or lines.getNumPartitions(), "id").sortWithinPartitions("id")
    writer = keyed.write.mode("overwrite")
    if a.output_format == "parquet":
        writer.parquet(a.output)
    else:
        writer.json(a.output)


def main(argv=None):
    a = parse_args(argv)
    builder = SparkSession.builder.appName("soda-annotate")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    try:
        run(spark, a)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
