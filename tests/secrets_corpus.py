"""Realistic but fake secrets. None of them may reach a page, evidence.json or a log line.

``VALUE_SECRETS`` must be recognised from the value alone (under an innocent key);
``KEYED_SECRETS`` are ordinary-looking values that are secret because of their key.
``SECRET_PARTS`` are the substrings that must never be shown.
"""

from __future__ import annotations

PEM_RSA = """-----BEGIN RSA PRIVATE KEY-----
MIIEpQIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi0Yq1fK9d7c4pB2wXyZ8vN5hQe
Lq8sR2tU5vW7xY9zA1bC3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1f
G3hI5jK7lM9nO1pQ3rS5tU7vW9xY1zA3bC5dE7fG9hI1jK3lM5nO7pQ9rS1tU3vW
-----END RSA PRIVATE KEY-----"""

PEM_OPENSSH = """-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBqZ3Vvc2VjcmV0a2V5bWF0ZXJpYWxmb3J0ZXN0aW5nAAAAmHNlY3JldA
-----END OPENSSH PRIVATE KEY-----"""

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ3aWRnZXQtc2VydmljZSIsImlhdCI6MTc3MDAw"
    "MDAwMH0.Qm9ndXNTaWduYXR1cmVGb3JUZXN0aW5nT25seTEyMzQ1Ng"
)

VALUE_SECRETS: dict[str, str] = {
    "aws_access_key_id": "AKIAZ7XQ3T5L2MB4KW9P",
    "aws_secret": "tQ8v/Rk2Lm9Xz4Pw7Nb3Yc6Hd1Jf5Gs0Ae+TuWq",
    "github_pat": "ghp_Zx8Cv7Bn6Mq5Wl4Ek3Rj2Th1Yg0Uf9Id8Os7",
    "gitlab_pat": "glpat-Xk4Pq9Lm2Rt7Vb5Nc8Hw",
    "slack_bot": "xoxb-2345678901-3456789012345-Qw7Er8Ty9Ui0Op1As2Df3Gh",
    "stripe_live": "sk_live_51Mz8Qv3Lp7Xw2Rt9Vb4Nc6Hy1Jd5",
    "jwt": JWT,
    "pem_rsa": PEM_RSA,
    "pem_openssh": PEM_OPENSSH,
    "postgres_url": "postgres://widget:Pg-S3cr3t-Value@db.internal:5432/widget",
    "ado_connection": "Server=db;Database=widget;User Id=sa;Password=Ado-Pa55word-99;",
    "random_api_key": "k9Fz2Qm7Lp4Xw8Rt1Vb6Nc3Hy5Jd0Gs",
    "hex_token": "4f9c2b7e1a8d3f6c0b5e9a2d7c4f1e8b",
    "google_api_key": "AIzaSyD4x7Qm2Lp9Wv5Rt8Nb3Hc6Jk1Yf0Gs7Ue",
    "npm_token": "npm_Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv3Wx5",
}

KEYED_SECRETS: dict[str, str] = {
    "password": "correct horse battery staple",
    "dbPassword": "summer2026",
    "api_key": "widget-demo",
    "clientSecret": "letmein",
    "privateKey": "see vault",
    "auth_token": "abc",
    "TOKEN": "changeme",
    "smtp_passwd": "hunter2",
}

#: the parts of each secret that must never be shown
SECRET_PARTS: tuple[str, ...] = (
    *(
        v
        for k, v in VALUE_SECRETS.items()
        if k not in ("postgres_url", "ado_connection", "pem_rsa", "pem_openssh")
    ),
    "Pg-S3cr3t-Value",
    "Ado-Pa55word-99",
    *(line for pem in (PEM_RSA, PEM_OPENSSH) for line in pem.split("\n")[1:-1]),
    *KEYED_SECRETS.values(),
)
