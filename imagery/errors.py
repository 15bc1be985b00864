"""Errors raised by the imagery package; one base class, specific subclasses."""


class ImageryError(Exception):
    """Base class of every error the imagery package raises on purpose."""


class RejectedFile(ImageryError):
    """A file cannot be ingested; the reason says what is wrong with it."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class MetadataError(ImageryError):
    """Embedded metadata (EXIF, XMP) is malformed or hostile."""


class TileOutside(ImageryError):
    """A requested tile or clip does not overlap the orthophoto."""


class PhotoNotFound(ImageryError):
    """No stored photo has that id."""


class FileTooLarge(RejectedFile):
    """A file (or the request carrying it) is larger than the upload limit."""


class UploadConflict(ImageryError):
    """An upload id already names another file (or a photo the uploader may not see)."""


class StoreUnavailable(ImageryError, OSError):
    """The file store cannot be reached or refuses us: `problem` says what (unreachable,
    credentials, no_bucket, refused), `facts` the values to name in a message, among them
    the setting to look at. An OSError too, so a batch records the files it could not store
    as rejected and goes on."""

    def __init__(self, problem: str, message: str, **facts: str) -> None:
        self.problem = problem
        self.facts = facts
        super().__init__(message)

    def __str__(self) -> str:
        return self.args[0] if self.args else self.problem

    def __reduce__(self) -> tuple:
        """Pickled whole (worker processes raise it to their parent)."""
        return _rebuild_unavailable, (self.problem, str(self), self.facts)


def _rebuild_unavailable(problem: str, message: str, facts: dict[str, str]) -> StoreUnavailable:
    return StoreUnavailable(problem, message, **facts)


class DeclaredCrsError(ImageryError):
    """A CRS declared for GeoTIFFs without one (`ingest --crs`) is not one PROJ knows."""

    def __init__(self, value: str, problem: str) -> None:
        self.value = value
        self.problem = problem
        super().__init__(f"--crs {value!r}: not a CRS PROJ knows ({problem})")
