# Flattens one JSON document into lines "<path>\t<type>\t<value>" for kolla_set_configs.
# Types: s string, n number, b boolean, z null, o object start, a array start.
# Paths join object keys and array indexes with "." (config_files.0.source).
# A strict recursive-descent parser, because a stand-in that silently misreads
# config.json would prove nothing about config delivery. Strings that decode to
# a tab or newline are refused: the line format could not carry them, and kolla's
# config.json never needs them. Exit status 3 = invalid JSON (message on stderr).
BEGIN { RS = "\001"; text = "" }
{ text = text $0 "\n" }
END {
    pos = 1; len = length(text); hexdigits = "0123456789abcdef"
    skip_space()
    parse_value("")
    skip_space()
    if (pos <= len) fail("unexpected data after the document")
}

function fail(msg) {
    printf "invalid JSON at byte %d: %s\n", pos, msg > "/dev/stderr"
    exit 3
}

function peek() { return substr(text, pos, 1) }

function skip_space(    c) {
    while (pos <= len) {
        c = substr(text, pos, 1)
        if (c != " " && c != "\t" && c != "\n" && c != "\r") return
        pos++
    }
}

function expect(c) {
    if (peek() != c) fail("expected '" c "'")
    pos++
}

function child(path, key) { return path == "" ? key : path "." key }

function emit(path, type, value) { printf "%s\t%s\t%s\n", path, type, value }

function parse_value(path,    c) {
    skip_space()
    c = peek()
    if (c == "{") parse_object(path)
    else if (c == "[") parse_array(path)
    else if (c == "\"") emit(path, "s", parse_string())
    else if (substr(text, pos, 4) == "true") { pos += 4; emit(path, "b", "true") }
    else if (substr(text, pos, 5) == "false") { pos += 5; emit(path, "b", "false") }
    else if (substr(text, pos, 4) == "null") { pos += 4; emit(path, "z", "") }
    else if (c ~ /[-0-9]/) emit(path, "n", parse_number())
    else fail("unexpected character '" c "'")
}

function parse_object(path,    key) {
    expect("{"); emit(path, "o", "")
    skip_space()
    if (peek() == "}") { pos++; return }
    while (1) {
        skip_space()
        if (peek() != "\"") fail("expected a string key")
        key = parse_string()
        skip_space(); expect(":")
        parse_value(child(path, key))
        skip_space()
        if (peek() == ",") { pos++; continue }
        expect("}"); return
    }
}

function parse_array(path,    index_) {
    expect("["); emit(path, "a", "")
    skip_space()
    if (peek() == "]") { pos++; return }
    index_ = 0
    while (1) {
        parse_value(child(path, index_++))
        skip_space()
        if (peek() == ",") { pos++; continue }
        expect("]"); return
    }
}

function parse_number(    start) {
    start = pos
    if (peek() == "-") pos++
    while (pos <= len && substr(text, pos, 1) ~ /[0-9.eE+-]/) pos++
    if (!(substr(text, start, pos - start) ~ /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/)) fail("bad number")
    return substr(text, start, pos - start)
}

function parse_string(    out, c, e) {
    expect("\"")
    out = ""
    while (1) {
        if (pos > len) fail("unterminated string")
        c = substr(text, pos, 1)
        if (c == "\"") { pos++; return out }
        if (c == "\n" || c == "\t" || c == "\r") fail("control character in string")
        if (c != "\\") { out = out c; pos++; continue }
        e = substr(text, pos + 1, 1); pos += 2
        if (e == "\"" || e == "\\" || e == "/") out = out e
        else if (e == "u") out = out unicode_escape()
        else if (e == "b" || e == "f") out = out (e == "b" ? "\b" : "\f")
        else if (e == "n" || e == "t" || e == "r") fail("escaped tab/newline in a string is not supported")
        else fail("bad escape \\" e)
    }
}

function hex4(    h, i, d, v) {
    h = tolower(substr(text, pos, 4))
    if (!(h ~ /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/)) fail("bad \\u escape")
    v = 0
    for (i = 1; i <= 4; i++) { d = index(hexdigits, substr(h, i, 1)) - 1; v = v * 16 + d }
    pos += 4
    return v
}

# Returns the UTF-8 bytes of one \uXXXX escape (with its surrogate pair, if any).
function unicode_escape(    v, lo) {
    v = hex4()
    if (v >= 55296 && v <= 56319) {
        if (substr(text, pos, 2) != "\\u") fail("lone surrogate")
        pos += 2; lo = hex4()
        v = 65536 + (v - 55296) * 1024 + (lo - 56320)
    }
    if (v == 9 || v == 10 || v == 13) fail("escaped tab/newline in a string is not supported")
    if (v == 0) fail("NUL in a string")
    if (v < 128) return sprintf("%c", v)
    if (v < 2048) return sprintf("%c%c", 192 + int(v / 64), 128 + v % 64)
    if (v < 65536) return sprintf("%c%c%c", 224 + int(v / 4096), 128 + int(v / 64) % 64, 128 + v % 64)
    return sprintf("%c%c%c%c", 240 + int(v / 262144), 128 + int(v / 4096) % 64, 128 + int(v / 64) % 64, 128 + v % 64)
}
