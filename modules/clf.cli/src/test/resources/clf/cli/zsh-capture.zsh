# zsh -f zsh-capture.zsh FUNCDIR LINE: prints the completions zsh offers for LINE, one a line.
# A real interactive zsh runs in a pseudo-terminal (zsh/zpty) with compsys and FUNCDIR on its
# fpath; LINE and a TAB are typed; a compadd wrapper reports every match compsys adds.
zmodload zsh/zpty || exit 3
dir=$1 line=$2
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'zstyle ":completion:*" insert-tab false'
# Every match compsys adds is printed between RS (0x1e) and US (0x1f) bytes, which typed text never holds.
zpty -w z 'compadd() { local -a __m; builtin compadd -O __m "$@"; local h; for h in $__m; do print -rn -- $'"'"'\x1e'"'"'$h$'"'"'\x1f'"'"'; done; builtin compadd "$@"; }'
zpty -w z 'comppostfuncs=(__end); __end() { print -rn -- $'"'"'\x1e'"'"'END$'"'"'\x1f'"'"'; exit }'
zpty -w -n z "$line"$'\t'
out=
integer start=$SECONDS
while (( SECONDS - start < 10 )); do
  if zpty -r -t z chunk; then out+=$chunk; else sleep 0.02; fi
  [[ $out == *$'\x1e'END$'\x1f'* ]] && break
done
zpty -d z
print -rn -- "$out" | tr -d '\r\n' | tr '\036\037' '\n\n' | awk 'NR % 2 == 0' | grep -vx END | sort -u
