"""Import article files (.txt, .md, .html) as draft source documents."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.status import PublicationStatus
from ingest.articles.services import (
    ARTICLE_EXTENSIONS,
    ArticleImportError,
    DuplicateSourceError,
    source_import_file,
)
from sources.models import SourceKind


class Command(BaseCommand):
    help = (
        "Import articles from files (or every .txt/.md/.html file in a folder) as draft source "
        "documents: cleaned body, title, authors, publisher, date and citations read from the "
        "text. A file that fails is reported and the others are still imported; the command "
        "exits with an error if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Article files or folders.")
        parser.add_argument(
            "--kind",
            choices=SourceKind.values,
            help="Kind of every imported source (default: news).",
        )
        parser.add_argument("--publisher", help="Publisher of every imported source.")
        parser.add_argument("--language", help="ISO language code of every imported source.")
        parser.add_argument("--licence", help="Licence of every imported source.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the imported sources at once (default: drafts for review).",
        )
        parser.add_argument(
            "--skip-duplicates",
            action="store_true",
            help="Report articles already imported as skipped rather than as failures.",
        )

    def handle(self, *args, paths, skip_duplicates, **options):
        overrides = {
            name: options[name]
            for name in ("kind", "publisher", "language", "licence")
            if options.get(name)
        }
        if options["publish"]:
            overrides["publication_status"] = PublicationStatus.PUBLISHED
        files, failed = self._files(paths)
        imported, skipped = 0, 0
        for number, path in enumerate(files, start=1):
            prefix = f"[{number}/{len(files)}] {path}:"
            try:
                source = source_import_file(path, overrides=overrides)
            except DuplicateSourceError as error:
                if skip_duplicates:
                    skipped += 1
                    self.stdout.write(f"{prefix} skipped. {error}")
                else:
                    failed.append(path)
                    self.stderr.write(self.style.ERROR(f"{prefix} refused. {error}"))
                continue
            except ArticleImportError as error:
                failed.append(path)
                self.stderr.write(self.style.ERROR(f"{prefix} failed. {error}"))
                continue
            imported += 1
            self.stdout.write(
                self.style.SUCCESS(f"{prefix} imported “{source.title}” as {source.slug} ")
                + f"({source.body.count(chr(10) * 2) + 1} paragraphs, "
                f"{source.citations.count()} citations)."
            )
        summary = f"{imported} imported, {skipped} skipped, {len(failed)} failed."
        if failed:
            raise CommandError(f"{summary} Failed: {', '.join(map(str, failed))}")
        self.stdout.write(summary)

    def _files(self, paths):
        """Return (files to import, folders without any): folders give their article files."""
        files, empty = [], []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                found = sorted(
                    child
                    for child in path.iterdir()
                    if child.is_file() and child.name.lower().endswith(ARTICLE_EXTENSIONS)
                )
                if not found:
                    empty.append(path)
                    self.stderr.write(
                        self.style.ERROR(f"{path}: no .txt, .md or .html file in this folder.")
                    )
                files.extend(found)
            else:
                files.append(path)
        return files, empty
