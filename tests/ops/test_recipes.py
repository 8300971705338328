"""The production recipes in infra/: the nginx site in front of the real gunicorn app (TLS,
HTTP/2, X-Forwarded-*, static files, upload size, masked access log), the systemd units
(`systemd-analyze verify`), and the compose file's wiring. nginx is Debian's package
(infra/bootstrap.sh --dev installs it); what cannot run here (systemd as PID 1, Docker)
is checked as far as it can be."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from fixtures.services import LABINOV, ROOT, free_port, wait_for_port

INFRA = ROOT / "infra"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN = Path(LABINOV).with_name("gunicorn")
HOST = "labinov.example.go.id"
UPLOAD_MAX_BYTES = 10 * 1024 * 1024


def _site_for_test(tmp: Path, http_port: int, https_port: int) -> Path:
    """The site as shipped, with only its ports, paths and certificate moved into `tmp`."""
    site = (INFRA / "nginx" / "labinov.conf").read_text()
    site = re.sub(r"\n\s*listen \[::\]:\d+[^\n]*", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("/var/log/nginx/", f"{tmp}/")
    site = site.replace(f"/etc/letsencrypt/live/{HOST}/", f"{tmp}/")
    site = site.replace("/srv/labinov/", f"{ROOT}/")
    site = site.replace("/var/www/letsencrypt", str(tmp))
    site = site.replace("/etc/nginx/labinov_proxy.conf", str(INFRA / "nginx" /
                                                             "labinov_proxy.conf"))
    site = site.replace("/etc/nginx/labinov_upstream.conf", str(tmp / "upstream.conf"))
    directives = "\n".join(line for line in site.splitlines()
                           if not line.lstrip().startswith("#"))
    assert not re.search(r"/(etc|var|srv)/", directives), directives
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {tmp}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        f"events {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n{temp}"
        f"    access_log {tmp}/default.log;\n{site}\n}}\n")
    return conf


@pytest.fixture
def stack(service_env, tmp_path, ctx):
    """gunicorn (production settings, TRUSTED_PROXIES=1) behind nginx with the shipped site."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed (infra/bootstrap.sh --dev installs it)")
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={HOST}", "-keyout", str(tmp_path / "privkey.pem"),
                    "-out", str(tmp_path / "fullchain.pem")], check=True, capture_output=True)
    (tmp_path / "upstream.conf").write_text(
        (INFRA / "nginx" / "labinov_upstream.conf").read_text()
        .replace("127.0.0.1:5000", f"127.0.0.1:{app_port}"))
    conf = _site_for_test(tmp_path, http_port, https_port)
    checked = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    env = {**service_env, "LABINOV_ENV": "production", "BASE_URL": f"https://{HOST}",
           "SECRET_KEY": "s" * 48, "TRUSTED_PROXIES": "1", "HOST": "127.0.0.1",
           "PORT": str(app_port), "WEB_WORKERS": "1",
           "UPLOAD_MAX_BYTES": str(UPLOAD_MAX_BYTES)}
    with (tmp_path / "gunicorn.log").open("wb") as log:
        app = subprocess.Popen([str(GUNICORN), "--config", "infra/gunicorn.conf.py",
                                "web:create_app()"], env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
    proxy = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path), "-g",
                              "daemon off;"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        wait_for_port(app_port, 30)
        wait_for_port(https_port, 10)
        yield {"http": http_port, "https": https_port, "tmp": tmp_path}
    finally:
        proxy.terminate()
        app.terminate()
        proxy.wait(timeout=15)
        app.wait(timeout=15)


def _tls():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _https(stack, method, path, body=None, headers=None):
    conn = http.client.HTTPSConnection("127.0.0.1", stack["https"], context=_tls(),
                                       timeout=60)
    conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_nginx_serves_the_app_over_tls_and_http2_with_forwarded_headers(stack):
    # Port 80 sends everything to HTTPS.
    conn = http.client.HTTPConnection("127.0.0.1", stack["http"], timeout=10)
    conn.request("GET", "/auth/sign-in", headers={"Host": HOST})
    plain = conn.getresponse()
    assert plain.status == 301 and plain.getheader("Location") == f"https://{HOST}/auth/sign-in"
    # HTTP/2 is offered by ALPN.
    context = _tls()
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (socket.create_connection(("127.0.0.1", stack["https"])) as raw,
          context.wrap_socket(raw, server_hostname=HOST) as tls):
        assert tls.selected_alpn_protocol() == "h2"
    # The app sees HTTPS and its own host name through X-Forwarded-*: a page, not a
    # redirect to https, and a Secure session cookie.
    response, body = _https(stack, "GET", "/auth/sign-in")
    assert response.status == 200, body[:500]
    assert "Secure" in response.getheader("Set-Cookie", "")
    assert "max-age=" in response.getheader("Strict-Transport-Security", "")
    # Probes and health through the proxy too.
    assert _https(stack, "GET", "/healthz")[0].status == 200


def test_static_files_come_from_nginx(stack):
    response, body = _https(stack, "GET", "/static/css/app.css")
    assert response.status == 200 and b".flash" in body
    assert response.getheader("Cache-Control") == "public, max-age=86400" or (
        "public" in response.getheader("Cache-Control", ""))
    assert response.getheader("Content-Security-Policy") is None  # the app never saw it
    assert response.getheader("Server", "").startswith("nginx")


def test_uploads_up_to_the_apps_limit_reach_the_app_and_larger_ones_stop_at_nginx(stack):
    # Under 5 x UPLOAD_MAX_BYTES: the app answers (here its own CSRF refusal, a page).
    body = b"x" * (2 * UPLOAD_MAX_BYTES)
    response, data = _https(stack, "POST", "/auth/sign-in", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 400 and b"<html" in data
    assert response.getheader("Content-Security-Policy") is not None  # the app's answer
    # Over it: nginx refuses before anything reaches the app.
    conn = http.client.HTTPSConnection("127.0.0.1", stack["https"], context=_tls(), timeout=60)
    conn.putrequest("POST", "/auth/sign-in", skip_host=True)
    conn.putheader("Host", HOST)
    conn.putheader("Content-Length", str(5 * UPLOAD_MAX_BYTES + 1))
    conn.endheaders()
    refused = conn.getresponse()
    assert refused.status == 413
    assert refused.getheader("Content-Security-Policy") is None
    conn.close()


def test_the_access_log_masks_invitation_and_reset_tokens(stack):
    invitation, reset = "Inv1tat10nT0kenSecret", "Res3tT0kenSecret99"
    _https(stack, "GET", f"/auth/invitation/{invitation}")
    _https(stack, "GET", f"/auth/reset/{reset}?lang=id",
           headers={"Referer": f"https://{HOST}/auth/invitation/{invitation}"})
    deadline = time.monotonic() + 5
    log = stack["tmp"] / "labinov.access.log"
    while time.monotonic() < deadline and "/auth/reset/" not in (
            log.read_text() if log.exists() else ""):
        time.sleep(0.1)
    written = log.read_text()
    assert "/auth/invitation/... " in written and "/auth/reset/...?lang=id" in written
    assert invitation not in written and reset not in written


def _units(tmp: Path) -> list[str]:
    env_file = tmp / "labinov.env"
    shutil.copy(INFRA / "systemd" / "labinov.env.example", env_file)
    names = []
    for unit in sorted((INFRA / "systemd").glob("labinov-*")):
        text = unit.read_text().replace("/srv/labinov", str(ROOT))
        text = text.replace("/etc/labinov/labinov.env", str(env_file))
        (tmp / unit.name).write_text(text)
        names.append(unit.name.replace("@.service", "@1.service"))
    return names


def test_the_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    names = _units(tmp_path)
    assert {"labinov-web.service", "labinov-worker@1.service", "labinov-dispatcher.service",
            "labinov-migrate.service", "labinov-workers.target"} <= set(names)
    result = subprocess.run([analyze, "verify", "--man=no", *names], cwd=tmp_path,
                            capture_output=True, text=True)
    # systemd-analyze exits 0 on unknown keys too; anything it says is a fault here.
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    for name in ("labinov-web.service", "labinov-worker@.service",
                 "labinov-dispatcher.service"):
        text = (INFRA / "systemd" / name).read_text()
        assert "EnvironmentFile=/etc/labinov/labinov.env" in text
        assert re.search(r"^Restart=always$", text, re.M), name
    web = (INFRA / "systemd" / "labinov-web.service").read_text()
    assert "PROMETHEUS_MULTIPROC_DIR=/run/labinov-web/" in web
    assert "infra/gunicorn.conf.py" in web


def test_the_env_file_names_only_settings_the_app_knows():
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(),
                                re.M))
    shipped = set(re.findall(r"^([A-Z][A-Z0-9_]+)=",
                             (INFRA / "systemd" / "labinov.env.example").read_text(), re.M))
    assert shipped <= documented, shipped - documented
    assert {"METRICS_TOKEN", "PROMETHEUS_MULTIPROC_DIR"} <= documented


def test_the_compose_file_runs_the_procfiles_processes():
    compose = yaml.safe_load((INFRA / "compose" / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "dispatcher", "nginx"} <= set(
        services)
    procfile = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text()
                    .splitlines() if line.strip())
    assert " ".join(services["web"]["command"]).replace("web:create_app()", '"web:create_app()"'
                                                       ) == procfile["web"]
    assert services["worker"]["command"] == ["labinov", "worker"]
    assert "labinov dispatch --every" in services["dispatcher"]["command"][-1]
    for name in ("migrate", "web", "worker", "dispatcher"):
        assert services[name]["env_file"] == "labinov.env"
    # Every file the services mount is in the tree.
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                path = (INFRA / "compose" / source).resolve()
                assert path.exists() or source == "./certs", source
    assert (INFRA / "compose" / "Dockerfile").exists()
