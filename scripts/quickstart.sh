#!/usr/bin/env bash
# Quick start on embedded defaults: install, create a demo business once, run API + worker + ticks.
# Mail comes from the Maildir drop folder data/inbox; reminders land as .eml files in data/outbox.
set -euo pipefail
# Raw mail, invoices and API keys live in data/: nobody else on the host may read them.
umask 077
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p data
chmod 700 data
for f in data/dunning.db data/demo-api-key data/demo-ingest-address; do if [ -f "$f" ]; then chmod 600 "$f"; fi; done
dunning migrate
demo="Bakkerij De Gouden Korst"
if [ ! -f data/demo-api-key ]; then
  created=$(dunning business create --name "$demo" --sender facturen@goudenkorst.example \
    --from facturen@goudenkorst.example --iban NL91ABNA0417164300)
  # The API key goes to a private file only, never to the terminal (a log may keep what is printed).
  printf '%s\n' "$created" | grep -v '^API key' || true
  printf '%s\n' "$created" | sed -n 's/^API key.*: //p' > data/demo-api-key
  printf '%s\n' "$created" | sed -n 's/^Ingest address: //p' > data/demo-ingest-address
  echo "quickstart: the demo business's API key is in data/demo-api-key, its secret ingest address in" \
       "data/demo-ingest-address"
elif [ ! -s data/demo-ingest-address ]; then  # a demo made before ingest addresses existed
  dunning business rotate-ingest --business "$demo" | sed -n 's/^Ingest address: //p' > data/demo-ingest-address
fi
exec dunning run
