"""Loads each file named on the command line with Ansible's own loader (from_yaml: JSON first, then
AnsibleLoader) and prints, as JSON, every value as {type, text} (the Python type name with Ansible's
subclasses folded into str/dict/list, and str() of scalars), or the error's class for a file it refuses."""
import json
import sys

from ansible.parsing.utils.yaml import from_yaml

NAMES = {"AnsibleUnicode": "str", "AnsibleUnsafeText": "str", "AnsibleMapping": "dict", "AnsibleSequence": "list"}


def describe(value):
    kind = NAMES.get(type(value).__name__, type(value).__name__)
    if isinstance(value, dict):
        return {"type": "dict", "items": [[describe(k), describe(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return {"type": "list", "items": [describe(v) for v in value]}
    return {"type": kind, "text": str(value)}


result = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        result[path] = {"value": describe(from_yaml(text, file_name=path))}
    except Exception as error:  # the test only needs to know that Ansible refused the file
        result[path] = {"error": type(error).__name__}
print(json.dumps(result))
