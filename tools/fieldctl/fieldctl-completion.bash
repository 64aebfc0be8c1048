# Bash completion for fieldctl: verbs, then the nouns of each verb, then flags.
# Install: source tools/fieldctl/fieldctl-completion.bash (or copy to
# /etc/bash_completion.d/fieldctl).
_fieldctl() {
  local cur prev verb
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  verb="${COMP_WORDS[1]}"
  local verbs="get list create update delete apply import schedule cancel complete confirm release
    find check-in check-out code finalize approve reject report export watch audit config"
  local globals="-o --output --context --server --org --token --timeout --help"
  case "${prev}" in
    -o|--output) COMPREPLY=($(compgen -W "table json yaml csv" -- "${cur}")); return ;;
    -f|--filename|--file) COMPREPLY=($(compgen -f -- "${cur}")); return ;;
    --context|use-context)
      local file="${XDG_CONFIG_HOME:-$HOME/.config}/fieldwork/config.yaml"
      COMPREPLY=($(compgen -W "$(sed -n 's/^ *- name: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' \
        "${file}" 2>/dev/null)" -- "${cur}"))
      return ;;
  esac
  if [[ ${COMP_CWORD} -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${verbs} ${globals}" -- "${cur}"))
    return
  fi
  local nouns=""
  case "${verb}" in
    get|list) nouns="organizations members units venues events holds busy-blocks attendance" ;;
    create) nouns="organization member unit venue event hold busy-block leave" ;;
    update) nouns="organization member unit venue event attendance" ;;
    delete) nouns="members units venues busy-block" ;;
    import) nouns="members" ;;
    schedule|cancel|complete) nouns="event" ;;
    confirm|release) nouns="hold" ;;
    find) nouns="slots" ;;
    approve|reject) nouns="leave" ;;
    report) nouns="member unit event org" ;;
    audit) nouns="list" ;;
    export) nouns="member-events member-kinds unit-members organization-members event-sheet
      organization-months organization-kinds organization-topics attention-list
      annual-reports-due" ;;
    config) nouns="set-context use-context view get-contexts" ;;
  esac
  if [[ ${COMP_CWORD} -eq 2 && -n "${nouns}" ]]; then
    COMPREPLY=($(compgen -W "${nouns}" -- "${cur}"))
    return
  fi
  if [[ "${cur}" == -* ]]; then
    local flags
    flags="$(fieldctl "${COMP_WORDS[@]:1:2}" --help 2>/dev/null |
      grep -o -- '--[a-z][a-z-]*' | sort -u)"
    COMPREPLY=($(compgen -W "${flags} ${globals}" -- "${cur}"))
  fi
}
complete -F _fieldctl fieldctl
