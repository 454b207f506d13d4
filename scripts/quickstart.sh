#!/usr/bin/env bash
# Quick start on embedded defaults: install, create a demo business once, run API + worker + ticks.
# Mail comes from the Maildir drop folder data/inbox; reminders land as .eml files in data/outbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p data
dunning migrate
if [ ! -f data/demo-api-key ]; then
  dunning business create --name "Bakkerij De Gouden Korst" --sender facturen@goudenkorst.example \
    --from facturen@goudenkorst.example --iban NL91ABNA0417164300 \
    | tee /dev/stderr | sed -n 's/^API key.*: //p' > data/demo-api-key
  echo "quickstart: the demo business's API key is in data/demo-api-key"
fi
exec dunning run
