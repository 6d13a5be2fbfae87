from django.views.generic import DetailView, ListView

from sources.models import SourceDocument


class SourceListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return SourceDocument.objects.published().for_list()


class SourceDetailView(DetailView):
    def get_queryset(self):
        return SourceDocument.objects.published()
