"""Parses each message file given with Python's email package and prints one
JSON object per file: its headers (decoded, every occurrence) and its text
parts (content type, the part's lang/dir attributes for HTML, decoded text)."""
import json
import sys
from email import policy
from email.parser import BytesParser

out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = BytesParser(policy=policy.default).parse(f)
    headers = {}
    for name, value in msg.items():
        headers.setdefault(name.lower(), []).append(str(value))
    parts = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            parts.append({"type": part.get_content_type(), "text": part.get_content()})
    out.append({"file": path, "headers": headers, "parts": parts,
                "defects": [str(d) for d in msg.defects]})
print(json.dumps(out, ensure_ascii=False))
