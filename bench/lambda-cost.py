#!/usr/bin/env python3
"""Monthly cost of the serverless edition (docs/benchmarks.md, "Serverless edition").

   bench/lambda-cost.py --webhook-ms 40 --worker-overhead-ms 60 --model-seconds 2 \
       --read-units 20 --write-units 20

Durations and units come from bench/lambda.sh; the model's time is an assumption (the worker
waits for the model, and Lambda bills the wait). Prices: AWS's published on-demand prices,
us-east-1, USD (Tokyo's are somewhat higher for DynamoDB and API Gateway); check the current ones.
"""
import argparse

USERS, MESSAGES_A_DAY, DAYS = 10_000, 20, 30
LAMBDA_GB_SECOND_ARM = 0.0000133334   # arm64, per GB-second
LAMBDA_REQUEST = 0.20 / 1e6
LAMBDA_FREE_GB_SECONDS, LAMBDA_FREE_REQUESTS = 400_000, 1_000_000
DYNAMODB_READ_UNIT = 0.125 / 1e6      # on demand, since November 2024
DYNAMODB_WRITE_UNIT = 0.625 / 1e6
DYNAMODB_GB_MONTH = 0.25
SQS_REQUEST = 0.40 / 1e6              # standard queue; first million free
HTTP_API_REQUEST = 1.00 / 1e6         # first 300 million a month

p = argparse.ArgumentParser()
p.add_argument("--webhook-ms", type=float, required=True)
p.add_argument("--worker-overhead-ms", type=float, required=True)
p.add_argument("--model-seconds", type=float, required=True)
p.add_argument("--read-units", type=float, required=True)
p.add_argument("--write-units", type=float, required=True)
p.add_argument("--webhook-mb", type=int, default=1024)
p.add_argument("--worker-mb", type=int, default=1024)
p.add_argument("--yen-per-usd", type=float, default=150)
p.add_argument("--kb-per-turn", type=float, default=2.0, help="stored bytes a turn adds (question + answer)")
a = p.parse_args()

n = USERS * MESSAGES_A_DAY * DAYS
gb_s = n * (a.webhook_ms / 1000 * a.webhook_mb / 1024
            + (a.worker_overhead_ms / 1000 + a.model_seconds) * a.worker_mb / 1024)
lam = max(0, gb_s - LAMBDA_FREE_GB_SECONDS) * LAMBDA_GB_SECOND_ARM \
    + max(0, 2 * n - LAMBDA_FREE_REQUESTS) * LAMBDA_REQUEST
ddb = n * (a.read_units * DYNAMODB_READ_UNIT + a.write_units * DYNAMODB_WRITE_UNIT)
storage_gb = n * a.kb_per_turn / 1e6
ddb_storage = storage_gb * DYNAMODB_GB_MONTH  # one month's growth
sqs = max(0, n * 3 + 650_000 - 1_000_000) * SQS_REQUEST  # send, receive, delete; idle long polls
api = n * HTTP_API_REQUEST
y = a.yen_per_usd
print(f"{n:,} messages a month; Lambda {gb_s:,.0f} GB-s")
for name, usd in [("Lambda", lam), ("DynamoDB requests", ddb), ("DynamoDB storage (first month's growth)", ddb_storage),
                  ("SQS", sqs), ("HTTP API", api)]:
    print(f"  {name:<40} USD {usd:8.2f}  = {usd * y:8,.0f} yen")
total = lam + ddb + ddb_storage + sqs + api
print(f"  {'total':<40} USD {total:8.2f}  = {total * y:8,.0f} yen")
