// Day view grid: with this script, two clicks (or a drag, or Enter twice) on free cells of one
// space book the time from the first cell's start to the last cell's end in one step. A member
// posts the ordinary booking form (with the page's CSRF token), so the server checks and answers
// exactly as for the form; a visitor goes to the form with both times filled in (and logs in
// there). The grid is one Tab stop: arrow keys, Home and End move between its cells. Without the
// script every free cell is a button of its row's GET form (in the row header: the booking
// form's address and the date) that opens the form with its start filled in.
(function () {
  'use strict';
  var table = document.getElementById('day-grid');
  if (!table || !table.tBodies.length || typeof window.URL !== 'function') {
    return;
  }
  var status = document.getElementById('day-grid-status');
  var hint = document.getElementById('day-grid-hint');
  // Where each hour ends: its own data-end (last hour, before a break), else where the next
  // column starts (the first text of its header, before any "now" tag).
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);
  var ends = heads.map(function (th, i) {
    var next = heads[i + 1];
    return th.getAttribute('data-end') || (next ? next.firstChild.nodeValue.trim() : '');
  });
  // matrix[row][column] is the cell covering that hour (a whole-day cell covers them all).
  var matrix = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    var cells = [];
    Array.prototype.forEach.call(tr.cells, function (cell) {
      if (cell.tagName === 'TD') {
        for (var i = 0; i < cell.colSpan; i += 1) {
          cells.push(cell);
        }
      }
    });
    return cells;
  });
  if (!matrix.length || !matrix[0].length) {
    return;
  }
  if (hint) {
    hint.hidden = false;
  }

  function focusable(cell) {
    return cell.querySelector('button') || cell;
  }
  function where(element) {
    var cell = element.closest('td');
    for (var r = 0; r < matrix.length; r += 1) {
      var c = matrix[r].indexOf(cell);
      if (c >= 0) {
        return { row: r, column: c, cell: cell };
      }
    }
    return null;
  }
  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // One Tab stop for the whole grid: the first free cell, else the first cell.
  matrix.forEach(function (row) {
    row.forEach(function (cell) {
      focusable(cell).tabIndex = -1;
    });
  });
  var current = table.querySelector('td > button') || focusable(matrix[0][0]);
  current.tabIndex = 0;
  var wantedColumn = 0;
  function moveTo(cell) {
    current.tabIndex = -1;
    current = focusable(cell);
    current.tabIndex = 0;
    current.focus();
  }

  table.addEventListener('keydown', function (event) {
    var at = where(event.target);
    if (!at) {
      return;
    }
    var row = matrix[at.row];
    var next = null;
    if (event.key === 'ArrowRight') {
      var right = at.column;
      while (right < row.length && row[right] === at.cell) {
        right += 1;
      }
      next = right < row.length ? row[right] : null;
    } else if (event.key === 'ArrowLeft') {
      next = at.column > 0 ? row[at.column - 1] : null;
    } else if (event.key === 'ArrowDown' && at.row + 1 < matrix.length) {
      next = matrix[at.row + 1][Math.min(wantedColumn, matrix[at.row + 1].length - 1)];
    } else if (event.key === 'ArrowUp' && at.row > 0) {
      next = matrix[at.row - 1][Math.min(wantedColumn, matrix[at.row - 1].length - 1)];
    } else if (event.key === 'Home') {
      next = row[0];
    } else if (event.key === 'End') {
      next = row[row.length - 1];
    } else if (event.key === 'Escape' && start) {
      clearStart();
      say('');
      event.preventDefault();
      return;
    } else {
      return;
    }
    event.preventDefault();
    if (next) {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
        wantedColumn = where(next).column;
      }
      moveTo(next);
    }
  });

  var start = null;
  function clearStart() {
    if (start) {
      start.cell.classList.remove('selected');
    }
    start = null;
  }
  // The start a free hour's button fills in; none for a whole-day space.
  function hourOf(button) {
    return button.name === 'from' ? button.value : '';
  }

  function book(button, from, to) {
    var row = button.form;
    var url = new URL(row.action, window.location.href);
    var date = row.elements.date ? row.elements.date.value : '';
    var token = table.getAttribute('data-csrf');
    if (!token) {
      url.search = '';
      url.searchParams.set('date', date);
      url.searchParams.set('from', from);
      url.searchParams.set('to', to);
      window.location.assign(url.toString());
      return;
    }
    var form = document.createElement('form');
    form.method = 'post';
    form.action = url.pathname;
    form.hidden = true;
    [['csrf_token', token], ['date', date], ['end_date', ''], ['from', from], ['to', to]]
      .forEach(function (field) {
        var input = document.createElement('input');
        input.type = 'hidden';
        input.name = field[0];
        input.value = field[1] || '';
        form.appendChild(input);
      });
    document.body.appendChild(form);
    form.submit();
  }

  // A cell of an hourly space was chosen: the first choice marks the start, the second books.
  function choose(button, at) {
    wantedColumn = at.column;
    if (!start || start.row !== at.row) {
      clearStart();
      start = at;
      at.cell.classList.add('selected');
      say((table.getAttribute('data-start') || '').replace('{time}', hourOf(button)));
      return;
    }
    var first = Math.min(start.column, at.column);
    var last = Math.max(start.column, at.column);
    var row = matrix[at.row];
    for (var c = first; c <= last; c += 1) {
      if (!row[c].querySelector('button')) {
        clearStart();
        say(table.getAttribute('data-blocked') || '');
        return;
      }
    }
    var firstButton = row[first].querySelector('button');
    clearStart();
    book(firstButton, hourOf(firstButton), ends[last]);
  }

  function hourlyButton(target) {
    var button = target.closest ? target.closest('td > button') : null;
    return button && table.contains(button) && button.form && hourOf(button) ? button : null;
  }

  // The click of a free hour (by mouse, or Enter or Space on its button) is taken over from
  // the row's form; a whole-day space's button still submits the form.
  table.addEventListener('click', function (event) {
    var button = hourlyButton(event.target);
    if (!button) {
      return;
    }
    event.preventDefault();
    var at = where(button);
    moveTo(at.cell);
    choose(button, at);
  });

  // A drag from one free cell to another of the same row books that range at once.
  var pressed = null;
  table.addEventListener('dragstart', function (event) {
    event.preventDefault();
  });
  table.addEventListener('mousedown', function (event) {
    var button = hourlyButton(event.target);
    pressed = button ? where(button) : null;
  });
  table.addEventListener('mouseup', function (event) {
    var button = hourlyButton(event.target);
    var at = button ? where(button) : null;
    if (pressed && at && at.row === pressed.row && at.cell !== pressed.cell) {
      clearStart();
      start = pressed;
      choose(button, at);
    }
    pressed = null;
  });
})();
