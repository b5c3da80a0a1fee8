"""build-pdf: turn the clinic's YAML leaflets into PDFs (`build`), validate them (`check`), list
them (`list`), sign them off (`approve`) and archive what is released (`publish`, `history`).

    python build_pdf.py COMMAND ...

The commands are in build_pdf_commands.py. Python compiles a script it runs at every start (it
keeps the compiled code of imported modules only), which for the whole command line took about
13 ms of every command; this file stays a few lines, and the commands are compiled once.
"""
from build_pdf_commands import cli  # noqa: F401  (build_pdf.cli: the build-pdf command, and the tests)

if __name__ == "__main__":
    cli()
