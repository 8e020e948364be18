# Turns json.awk's flat lines into one tab-separated record per thing to do,
# in config.json order, and validates the shape the way kolla's set_configs does:
#   command <cmd>
#   file    <source> <dest> <owner> <perm> <optional> <merge> <preserve_properties>
#   dir     <path> <owner> <perm>            ("directories")
#   touch   <path> <owner> <perm>            ("files")
#   perm    <path> <owner> <perm> <recurse>  ("permissions")
# An absent field is "-", because the shell's read collapses empty tab fields.
# Problems go to stderr as "InvalidConfig: ..."; exit status 1 then.
BEGIN { FS = "\t"; problems = 0; lists = "config_files directories files permissions" }

{
    path = $1; type = $2; value = $3
    if (path == "command") { command_type = type; command = value; next }
    n = split(path, part, ".")
    if (n == 1 && index(" " lists " ", " " path " ") && type != "a") complain("\"" path "\" must be a list")
    if (n == 2 && type != "o") complain(path " must be an object")
    if (n != 3) next
    key = part[1] SUBSEP part[2]
    if (!(key in seen)) { seen[key] = 1; count[part[1]] = part[2] + 1 }
    field[key, part[3]] = value
    kind[key, part[3]] = type
}

END {
    if (command_type == "") complain("Config is missing required \"command\" key")
    else if (command_type != "s") complain("\"command\" must be a string")
    else print "command\t" command
    for (i = 0; i < count["config_files"]; i++) file_record(i)
    for (i = 0; i < count["directories"]; i++) path_record("dir", "directories", i)
    for (i = 0; i < count["files"]; i++) path_record("touch", "files", i)
    for (i = 0; i < count["permissions"]; i++) perm_record(i)
    exit problems ? 1 : 0
}

function complain(msg) {
    print "InvalidConfig: " msg > "/dev/stderr"
    problems++
}

function get(list, i, name,    key) {
    key = list SUBSEP i
    if (!((key, name) in field) || kind[key, name] == "z") return "-"
    return field[key, name] == "" ? "-" : field[key, name]
}

function check_perm(where, perm) {
    if (perm != "-" && !(perm ~ /^(0o)?[0-7]?[0-7][0-7][0-7]$/)) complain(where ": perm \"" perm "\" is not an octal mode")
}

function flag(list, i, name,    v) {
    v = get(list, i, name)
    return (v == "true" || v == "True" || v == "yes") ? "1" : "0"
}

function file_record(i,    src, dest, owner, perm, preserve) {
    src = get("config_files", i, "source"); dest = get("config_files", i, "dest")
    owner = get("config_files", i, "owner"); perm = get("config_files", i, "perm")
    preserve = flag("config_files", i, "preserve_properties")
    if (src == "-" || dest == "-") { complain("config_files." i ": Config is missing required keys: source, dest"); return }
    if ((owner == "-" || perm == "-") && preserve == "0") {
        complain("config_files." i ": Config needs preserve_properties or owner and perm"); return
    }
    check_perm("config_files." i, perm)
    printf "file\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", src, dest, owner, perm,
        flag("config_files", i, "optional"), flag("config_files", i, "merge"), preserve
}

function path_record(tag, list, i,    p) {
    p = get(list, i, "path")
    if (p == "-") { complain(list "." i ": missing \"path\""); return }
    check_perm(list "." i, get(list, i, "perm"))
    printf "%s\t%s\t%s\t%s\n", tag, p, get(list, i, "owner"), get(list, i, "perm")
}

function perm_record(i,    p, owner) {
    p = get("permissions", i, "path"); owner = get("permissions", i, "owner")
    if (p == "-" || owner == "-") { complain("permissions." i ": needs \"path\" and \"owner\""); return }
    check_perm("permissions." i, get("permissions", i, "perm"))
    printf "perm\t%s\t%s\t%s\t%s\n", p, owner, get("permissions", i, "perm"), flag("permissions", i, "recurse")
}
