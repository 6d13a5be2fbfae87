from django.views.generic import DetailView, ListView

from claims.models import Claim


class ClaimListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Claim.objects.published().for_list()


class ClaimDetailView(DetailView):
    def get_queryset(self):
        return Claim.objects.published().for_list()
