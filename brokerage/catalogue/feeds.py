from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from programmes.selectors import not_past_q, published_offers


class NewOffersFeed(Feed):
    feed_type = Atom1Feed
    title = _("New professional development offers")
    subtitle = _("Offers newly published in the regional CPD catalogue.")

    def link(self):
        """The catalogue in the feed's language (/cy/offers/ for /cy/offers/feed/)."""
        return reverse("catalogue:offer_list")

    def items(self):
        return (
            published_offers().filter(not_past_q(), published_at__isnull=False).select_related("programme").prefetch_related("themes")
            .order_by("-published_at", "-pk")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.programme.plain_name

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]
