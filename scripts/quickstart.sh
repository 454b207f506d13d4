#!/usr/bin/env bash
# Quick start on embedded defaults: install, create a demo business once, run API + worker + ticks.
# Mail comes from the Maildir drop folder data/inbox; reminders land as .eml files in data/outbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p data
dunning migrate
demo="Bakkerij De Gouden Korst"
if [ ! -f data/demo-api-key ]; then
  created=$(dunning business create --name "$demo" --sender facturen@goudenkorst.example \
    --from facturen@goudenkorst.example --iban NL91ABNA0417164300)
  printf '%s\n' "$created"
  printf '%s\n' "$created" | sed -n 's/^API key.*: //p' > data/demo-api-key
  printf '%s\n' "$created" | sed -n 's/^Ingest address: //p' > data/demo-ingest-address
  echo "quickstart: the demo business's API key is in data/demo-api-key, its secret ingest address in" \
       "data/demo-ingest-address"
elif [ ! -s data/demo-ingest-address ]; then  # a demo made before ingest addresses existed
  dunning business rotate-ingest --business "$demo" | sed -n 's/^Ingest address: //p' > data/demo-ingest-address
fi
exec dunning run
