"""scripts/gen-guix-index reads Guix-style module sources (here a small tree written for
the test) and keeps their facts: exported names, kinds, record fields, declared groups,
the services a list holds, constants and package names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support.paths import SCRIPTS

SCRIPT = os.path.join(SCRIPTS, "gen-guix-index")

SERVICES = """\
(define-module (gnu services toy)
  #:use-module (gnu services)
  #:export (toy-service-type toy-configuration %toy-services %toy-label make-toy))

(define %toy-group "toys")
(define %toy-label "Toy box")

(define-configuration/no-serialization toy-configuration
  (size (integer 3) "How big.")
  (owner (string "toy") "Who owns it."))

(define %toy-accounts
  (list (user-group (name %toy-group) (system? #t))
        (user-account (name "toy") (group %toy-group) (supplementary-groups '("kvm")))))

(define toy-service-type
  (service-type (name 'toy)
                (extensions (list (service-extension account-service-type
                                                     (const %toy-accounts))))
                (default-value (toy-configuration))))

(define (toy-services)
  (list (service toy-service-type) (service other-service-type)))

(define-syntax %toy-services
  (identifier-syntax (toy-services)))

(define* (make-toy #:key size) #;(ignored form) (toy-configuration (size size)))
"""

PACKAGES = """\
(define-module (gnu packages toys)
  #:use-module (guix packages))

(define-public toy-box
  (package (name "toybox") (version "1")))

(define-public (make-toy-package n) #f)
"""


def test_the_index_keeps_the_facts_of_the_sources(tmp_path: Path):
    (tmp_path / "gnu" / "services").mkdir(parents=True)
    (tmp_path / "gnu" / "packages").mkdir(parents=True)
    (tmp_path / "gnu" / "services" / "toy.scm").write_text(SERVICES)
    (tmp_path / "gnu" / "packages" / "toys.scm").write_text(PACKAGES)
    out = tmp_path / "index.json"
    done = subprocess.run([sys.executable, SCRIPT, str(tmp_path), "-o", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"2 modules, 7 names -> {out}"
    index = json.loads(out.read_text())
    assert index["modules"]["gnu services toy"] == {
        "f": "make-toy", "l": "%toy-services", "s": "toy-service-type",
        "r": {"toy-configuration": "size owner"}, "c": {"%toy-label": "Toy box"}}
    assert index["modules"]["gnu packages toys"] == {"f": "make-toy-package",
                                                     "p": "toy-box"}
    assert index["accounts"] == {"toy-service-type": {
        "groups": ["toys"], "users": [["toy", "toys", ["kvm"]]]}}
    assert index["service-lists"] == {"%toy-services": ["toy-service-type",
                                                       "other-service-type"]}
    assert index["package-names"] == {"toybox": "gnu packages toys:toy-box"}
