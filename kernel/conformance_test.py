"""Jupyter's own kernel conformance suite (jupyter_kernel_test) against the installed
gokist kernelspec. Run by TestConformance (kernel/jupyter_test.go), which builds gokist,
installs the kernelspec into a temporary JUPYTER_DATA_DIR and runs

    /usr/bin/python3 -m unittest -v conformance_test

Every sample attribute of KernelTests is filled, so no test skips for lack of a sample.
Expected values are Python's, which the language follows (1 + 1 is 2, 10 / 4 is 2.5).
"""

import os
import unittest

import jupyter_kernel_test


class GokistKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("GOKIST_KERNEL_NAME", "gokist")
    language_name = "gokist"
    file_extension = ".gk"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'import sys; print("oops", file=sys.stderr)'

    completion_samples = [
        {"text": "prin", "matches": {"print"}},
        {"text": "clear_out", "matches": {"clear_output"}},
    ]

    complete_code_samples = ["1 + 1", "x = [1, 2]", "print('a')", "a, b = 1, 2"]
    incomplete_code_samples = ["print(1,", "x = [1,", "(1 +"]
    invalid_code_samples = ["1 +* 2", "x = = 1", "print(1))"]

    # x? shows help through the pager: a "page" payload in the execute_reply.
    code_page_something = "print?"

    code_generate_error = "undefined_name + 1"

    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": "6 * 7", "result": "42"},
        {"code": "10 / 4", "result": "2.5"},
        {"code": "(1, 'a')", "result": "(1, 'a')"},
        {"code": "[2 ** 10, -7 // 2]", "result": "[1024, -4]"},
    ]

    code_display_data = [
        {"code": "display(1)", "mime": "text/plain"},
        {"code": "display(Client(n_workers=2))", "mime": "text/html"},
        # Every figure drawn on in a cell is sent at its end as a PNG.
        {"code": "import matplotlib.pyplot as plt\nplt.plot([1, 4, 9, 16])", "mime": "image/png"},
    ]

    # A glob (as IPython's history search) that matches exactly one of the codes above.
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "print"

    code_clear_output = "clear_output()"


if __name__ == "__main__":
    unittest.main()
