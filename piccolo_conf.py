"""Entry for the `piccolo` command line; the real configuration is server/piccolo_conf.py."""

from server.piccolo_conf import *  # noqa: F403
