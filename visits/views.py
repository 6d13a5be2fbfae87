from django.views.generic import DetailView, ListView

from visits.models import Issue, Visit


class VisitListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Visit.objects.published().for_list()


class VisitDetailView(DetailView):
    def get_queryset(self):
        return Visit.objects.published().for_list()


class IssueListView(ListView):
    def get_queryset(self):
        return Issue.objects.published()


class IssueDetailView(DetailView):
    def get_queryset(self):
        return Issue.objects.published()
