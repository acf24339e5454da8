"""The S3 server fixtures (tests/s3_server.py) for the tests of serving s3:// logdirs."""

from s3_server import bucket, s3_auth_server, s3_env, s3_server  # noqa: F401 (fixtures)
