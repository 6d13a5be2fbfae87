from django.views.generic import DetailView, ListView

from actors.models import Actor


class ActorListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Actor.objects.published().for_list()


class ActorDetailView(DetailView):
    def get_queryset(self):
        return Actor.objects.published()
