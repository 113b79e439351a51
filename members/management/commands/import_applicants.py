from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.imports import COLUMNS, UnreadableFile, applicants_import, read_rows


class Command(BaseCommand):
    help = (
        "Import the innovation call's applicants from a UTF-8 CSV or an Excel .xlsx file as "
        "unclaimed profiles. "
        "All rows or none: any invalid row aborts the import and every error is listed. "
        f"Columns: {', '.join(COLUMNS)} (categories and languages separated by ';')."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file, **options):
        try:
            rows = read_rows(csv_file.read_bytes())
        except (OSError, UnicodeDecodeError, UnreadableFile) as error:
            raise CommandError(f"Cannot read {csv_file}: {error}") from error
        result = applicants_import(rows=rows)
        if not result.ok:
            for number, messages in sorted(result.errors.items()):
                for message in messages:
                    self.stderr.write(f"row {number}: {message}")
            raise CommandError(f"Nothing was imported: {len(result.errors)} row(s) need fixing.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} profile(s); skipped {result.skipped} already present."
            )
        )
