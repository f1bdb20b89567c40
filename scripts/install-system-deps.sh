#!/usr/bin/env bash
# Installs what Cellmate needs from Debian on a fresh machine: the Jupyter kernel
# (Debian's ipykernel with the data stack), bubblewrap (each kernel's sandbox)
# and passt (pasta: outbound network for sandboxes, when allowed), the
# nbformat/nbclient/jupyter_client oracles the tests compare against, Jupyter
# Server (the kernel gateway the tests start), and Chromium for the browser tests.
set -euo pipefail
packages=(python3-ipykernel python3-numpy python3-pandas python3-matplotlib bubblewrap passt
          python3-nbformat python3-nbclient python3-jupyter-client python3-jupyter-server
          chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
