"""MSSanté: messages sent with the IHE_XDM.ZIP, and the organisational box read and filed by INS."""
