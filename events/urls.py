from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:booking_id>/calendar.ics", views.booking_calendar, name="booking_calendar"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("surgeries/<int:surgery_id>/waitlist/", views.waitlist_join, name="waitlist_join"),
    path("waitlist/<int:entry_id>/leave/", views.waitlist_leave, name="waitlist_leave"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("<slug:slug>/book/<int:slot_id>/", views.booking_new, name="booking_new"),
    path("<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
]
