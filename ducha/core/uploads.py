"""Refusing an upload that is too large while it arrives, not after it has been spooled."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload as soon as it is over the limit, instead of spooling it all.

    Install it before the body is read (``request.upload_handlers.insert(0, ...)``, in a view
    that is ``csrf_exempt`` outside and ``csrf_protect`` inside); the view then finds
    ``request.upload_too_large`` set and says so.
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(request, limit: int) -> None:
    request.upload_too_large = False
    request.upload_handlers.insert(0, SizeLimitHandler(request, limit))
