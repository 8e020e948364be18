"""Loads each file named on the command line with Ansible's own loader (from_yaml: JSON first, then
AnsibleLoader) and with PyYAML's yaml.safe_load (what kolla's merge_yaml uses), and prints, as JSON,
every value as {type, text} (the Python type name with Ansible's subclasses folded into str/dict/list,
and str() of scalars), or the error's class for a file a loader refuses."""
import json
import sys

import yaml
from ansible.parsing.utils.yaml import from_yaml

NAMES = {"AnsibleUnicode": "str", "AnsibleUnsafeText": "str", "AnsibleMapping": "dict", "AnsibleSequence": "list"}


def describe(value):
    kind = NAMES.get(type(value).__name__, type(value).__name__)
    if isinstance(value, dict):
        return {"type": "dict", "items": [[describe(k), describe(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return {"type": "list", "items": [describe(v) for v in value]}
    return {"type": kind, "text": str(value)}


def load(loader, text):
    try:
        return {"value": describe(loader(text))}
    except Exception as error:  # the test only needs to know that the loader refused the file
        return {"error": type(error).__name__}


result = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    result[path] = {"ansible": load(lambda t: from_yaml(t, file_name=path), text), "safe_load": load(yaml.safe_load, text)}
print(json.dumps(result))
