"""What the command line's contract asks of a refused run, checked in one place: exit status 2 (or
``code``), exactly one line on standard error that starts ``skyswap: error:`` and names the
fragment, and no traceback anywhere."""
from __future__ import annotations


def one_line(result, fragment: str, code: int = 2) -> str:
    """Assert a ``CliRunner`` result is the contract's one error line containing ``fragment``; return it."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("skyswap: error: "), err
    assert fragment in err, err
    assert "Traceback" not in result.stdout + result.stderr
    return err
