from django.urls import path

from transmissions.views import messages

urlpatterns = [
    path("", messages.message_inbox, name="message-inbox"),
    path("envoyes/", messages.message_sent, name="message-sent"),
    path("nouveau/", messages.message_compose, name="message-compose"),
    path("<int:pk>/", messages.message_detail, name="message-detail"),
    path("<int:pk>/accuse/", messages.message_acknowledge, name="message-acknowledge"),
]
