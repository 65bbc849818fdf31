#!/usr/bin/env bash
# The lint step of the composite GitHub Action (action.yml at the top of this repository).
# Inputs arrive as INPUT_PATH, INPUT_ARGS, INPUT_FORMAT and INPUT_OUTPUT; the exit code and
# the report file go to the later steps through GITHUB_OUTPUT. Findings (exit code 1) do not
# fail this step, so that the SARIF upload still runs; action.yml fails the job after it.
# A run that failed (exit code 2: bad option, unreadable path) stops the action here.
set -u
: "${GITHUB_OUTPUT:?is not set: this script is the lint step of the GitHub Action}"

format="${INPUT_FORMAT:-sarif}"
# Extra options, split on white space as a shell would, without globbing.
read -r -a extra <<<"${INPUT_ARGS:-}"

case "$format" in
    text | github)
        # Annotations and the text report belong in the job log.
        report=""
        tf-apigw-lint check --format "$format" ${extra[@]+"${extra[@]}"} -- "${INPUT_PATH:-.}"
        ;;
    *)
        case "$format" in junit) extension=xml ;; *) extension="$format" ;; esac
        report="${INPUT_OUTPUT:-tf-apigw-lint.$extension}"
        tf-apigw-lint check --format "$format" --output "$report" ${extra[@]+"${extra[@]}"} -- "${INPUT_PATH:-.}"
        ;;
esac
code=$?
if [ "$code" -ge 2 ]; then
    exit "$code"
fi
{
    echo "exit-code=$code"
    echo "report=$report"
} >>"$GITHUB_OUTPUT"
[ -z "$report" ] || echo "tf-apigw-lint: report written to $report (exit code $code)"
