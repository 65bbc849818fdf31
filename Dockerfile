# A small image of the command line: `docker build -t tf-apigw-lint .`, then
#   docker run --rm -v "$PWD:/src" tf-apigw-lint [OPTIONS] [PATH ...]
# The working directory /src is where the Terraform is mounted; the default PATH is ".".
# The wheel is built in a first stage so the final image holds no build tools or sources.
FROM python:3.12-slim AS build
WORKDIR /build
COPY pyproject.toml README.md LICENSE ./
COPY validator/ validator/
RUN pip wheel --no-cache-dir --disable-pip-version-check --wheel-dir /wheels .

FROM python:3.12-slim
LABEL org.opencontainers.image.title="tf-apigw-lint" \
      org.opencontainers.image.description="Find broken CloudWatch logging for AWS API Gateway in Terraform" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://example.com/your-org/tf-apigw-lint"
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --disable-pip-version-check --no-index /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 lint
USER lint
WORKDIR /src
ENTRYPOINT ["tf-apigw-lint"]
