"""The monthly close in the web app (issue 14 §5): the year's twelve month cards per unit;
the enterprise files a month from the readings it uploaded, with evidence; reviewers and the
regulator read."""
